package io.edgeai.telemetry.internal;

import io.edgeai.api.reading.LatestResults;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.Telemetry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own route on {@link Telemetry#ENDPOINT}: until a model is bound (issue 4/6), each reading is answered
 * with its normalized form, which also becomes the device's latest result. Off with {@code defaultRoute=false}.
 */
@Component(immediate = true, configurationPid = "io.edgeai.telemetry")
public class TelemetryRoute {

    static final String ROUTE_ID = "edgeai-telemetry";
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryRoute.class);

    private final CamelContext context;
    private final boolean added;

    @Activate
    public TelemetryRoute(@Reference(target = "(camel.context.name=edgeai)") CamelContext context,
            @Reference LatestResults results, TelemetryConfig config) throws Exception {
        this.context = context;
        this.added = config.defaultRoute();
        if (added) {
            context.addRoutes(routes(results));
            LOG.info("Default telemetry route on {} started", Telemetry.ENDPOINT);
        } else {
            LOG.info("Default telemetry route off: {} is left to integrators' routes", Telemetry.ENDPOINT);
        }
    }

    static RouteBuilder routes(LatestResults results) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(Telemetry.ENDPOINT).routeId(ROUTE_ID).process(exchange -> acknowledge(exchange, results));
            }
        };
    }

    private static void acknowledge(Exchange exchange, LatestResults results) throws Exception {
        Reading reading = exchange.getMessage().getMandatoryBody(Reading.class);
        String result = ResultJson.acknowledgement(reading);
        results.publish(reading.deviceId(), result);
        exchange.getMessage().setBody(result);
    }

    @Deactivate
    void deactivate() throws Exception {
        if (added) {
            context.getRouteController().stopRoute(ROUTE_ID);
            context.removeRoute(ROUTE_ID);
        }
    }
}
