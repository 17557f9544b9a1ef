package io.edgeai.camel.internal;

import io.edgeai.api.monitoring.Meters;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Times every route of the context, the gateway's own and integrators' alike: {@code edgeai.route.latency} by route id
 * and outcome ({@code ok}, {@code failed}), from the exchange entering the route to its completion. Nothing is done
 * while no recorder is bound.
 */
final class RouteTiming implements RoutePolicyFactory {

    private final Meters meters;

    RouteTiming(Meters meters) {
        this.meters = meters;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return new Timed(routeId);
    }

    private final class Timed extends RoutePolicySupport {

        private final String startKey;
        private final Meters.Meter ok;
        private final Meters.Meter failed;

        Timed(String routeId) {
            startKey = "EdgeAiRouteStart." + routeId;
            String description = "Time from an exchange entering the route to its completion";
            ok = meters.timer("edgeai.route.latency", description, "route", routeId, "outcome", "ok");
            failed = meters.timer("edgeai.route.latency", description, "route", routeId, "outcome", "failed");
        }

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (meters.recording()) {
                exchange.setProperty(startKey, System.nanoTime());
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            Object start = exchange.removeProperty(startKey);
            if (start instanceof Long nanos) {
                (exchange.isFailed() ? failed : ok).since(nanos);
            }
        }
    }
}
