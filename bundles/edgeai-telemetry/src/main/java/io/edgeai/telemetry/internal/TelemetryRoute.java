package io.edgeai.telemetry.internal;

import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.reading.LatestResults;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.Telemetry;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own route on {@link Telemetry#ENDPOINT}: each reading goes through the configured pipeline
 * ({@code edgeai:preprocess/default}; passed as it is when that pipeline does not exist) and is answered with its
 * normalized values and the features the pipeline made; the answer also becomes the device's latest result. A
 * reading the pipeline refuses stops there, and the connector answers with the refusal. Off with
 * {@code defaultRoute=false}.
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
            context.addRoutes(routes(results, config.pipeline()));
            LOG.info("Default telemetry route on {} started, through pipeline '{}'", Telemetry.ENDPOINT,
                    config.pipeline());
        } else {
            LOG.info("Default telemetry route off: {} is left to integrators' routes", Telemetry.ENDPOINT);
        }
    }

    static RouteBuilder routes(LatestResults results, String pipeline) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from(Telemetry.ENDPOINT).routeId(ROUTE_ID)
                        .to("edgeai:preprocess/" + pipeline + "?optional=true")
                        .process(exchange -> answer(exchange, results));
            }
        };
    }

    private static void answer(Exchange exchange, LatestResults results) {
        Message message = exchange.getMessage();
        Reading reading = exchange.getProperty(Telemetry.PROPERTY_READING, Reading.class);
        if (reading == null) {
            reading = message.getBody(Reading.class);
        }
        String result;
        if (message.getBody() instanceof List<?> list && message.getHeader(Pipeline.HEADER_PIPELINE) != null) {
            @SuppressWarnings("unchecked")
            List<Features> features = (List<Features>) list;
            result = ResultJson.preprocessed(reading, message.getHeader(Pipeline.HEADER_PIPELINE, String.class),
                    message.getHeader(Pipeline.HEADER_REVISION, Long.class), features);
        } else {
            result = ResultJson.acknowledgement(reading);
        }
        results.publish(reading.deviceId(), result);
        message.setBody(result);
    }

    @Deactivate
    void deactivate() throws Exception {
        if (added) {
            context.getRouteController().stopRoute(ROUTE_ID);
            context.removeRoute(ROUTE_ID);
        }
    }
}
