package io.edgeai.api.routes;

/** What became of a route file. */
public enum RouteFileState {
    /** Its routes run. */
    LOADED,
    /** It was refused; the routes it had before (if any) keep running. */
    FAILED
}
