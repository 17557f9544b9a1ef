package io.edgeai.preprocess.internal;

/** A pipeline definition that was refused, with where the problem is and what it is. */
public final class InvalidDefinitionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String where;

    public InvalidDefinitionException(String where, String problem) {
        super(where.isEmpty() ? problem : where + ": " + problem);
        this.where = where;
    }

    /** Line and column, or the path of the offending entry. */
    public String where() {
        return where;
    }
}
