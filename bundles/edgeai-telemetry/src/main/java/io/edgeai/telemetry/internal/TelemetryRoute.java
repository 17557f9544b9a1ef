package io.edgeai.telemetry.internal;

import io.edgeai.api.inference.Prediction;
import io.edgeai.api.preprocess.Features;
import io.edgeai.api.preprocess.Pipeline;
import io.edgeai.api.reading.LatestResults;
import io.edgeai.api.reading.Reading;
import io.edgeai.api.reading.Result;
import io.edgeai.api.reading.Telemetry;
import io.edgeai.api.routes.EdgeAiHeaders;
import io.edgeai.connector.support.ResultJson;
import io.edgeai.api.anomaly.AnomalyVerdict;
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
 * The gateway's own route on {@link Telemetry#ENDPOINT}. With a model configured, each reading goes to it
 * ({@code edgeai:infer/{model}?pipeline=default}): through one pipeline, once - the serving version's own when its
 * archive carries one (what it was trained with), else the configured pipeline - and is answered with the features
 * that pipeline made and the model's outputs. Without a model, the reading goes through the configured pipeline
 * ({@code edgeai:preprocess/default}; passed as it is when that pipeline does not exist) and the anomaly watch
 * answers with its score and flag (its stream learns while it warms up). The answer, a {@link Result}, also becomes
 * the device's latest result. A reading a stage refuses stops there, and the connector answers with the refusal. Off
 * with {@code defaultRoute=false}.
 */
@Component(immediate = true, configurationPid = "io.edgeai.telemetry")
public class TelemetryRoute {

    static final String ROUTE_ID = "edgeai-telemetry";
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryRoute.class);

    private final CamelContext context;
    private final boolean added;

    @Activate
    public TelemetryRoute(@Reference(target = "(camel.context.name=edgeai)") CamelContext context,
            @Reference LatestResults results, @Reference HistoryStore history, TelemetryConfig config)
            throws Exception {
        this.context = context;
        this.added = config.defaultRoute();
        // a result is JSON wherever a route asks for text (${bodyAs(String)}, a log, a file), with or without this route
        context.getTypeConverterRegistry().addTypeConverter(String.class, Result.class,
                new org.apache.camel.support.TypeConverterSupport() {
                    @Override
                    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                        return type.cast(ResultJson.write((Result) value));
                    }
                });
        if (added) {
            context.addRoutes(routes(results, history, config.pipeline(), config.model(),
                    config.anomalyWatch()));
            LOG.info("Default telemetry route on {} started, through pipeline '{}'{}", Telemetry.ENDPOINT,
                    config.pipeline(), !config.model().isBlank() ? " and model '" + config.model() + "'"
                    : config.anomalyWatch() ? " and the anomaly watch" : "");
        } else {
            LOG.info("Default telemetry route off: {} is left to integrators' routes", Telemetry.ENDPOINT);
        }
    }

    static RouteBuilder routes(LatestResults results, HistoryStore history, String pipeline, String model,
            boolean anomalyWatch) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // a failure goes back to the connector, which answers the device, counts it and logs one line
                errorHandler(noErrorHandler());
                var route = from(Telemetry.ENDPOINT).routeId(ROUTE_ID);
                if (!model.isBlank()) {
                    // one pipeline, once: the model version's own, else this one (also while no version serves)
                    route = route.to("edgeai:infer/" + model.trim() + "?optional=true&pipeline=" + pipeline);
                } else {
                    route = route.to("edgeai:preprocess/" + pipeline + "?optional=true");
                    if (anomalyWatch) {
                        route = route.to("edgeai:anomaly?optional=true");
                    }
                }
                route.process(exchange -> answer(exchange, results, history, pipeline));
            }
        };
    }

    /**
     * The reading's result; the device's history keeps what a new version would be trained on: the route pipeline's
     * features, or the reading as it came when a model version's own pipeline processed it (as it will again).
     */
    private static void answer(Exchange exchange, LatestResults results, HistoryStore history,
            String routePipeline) {
        Message message = exchange.getMessage();
        Reading reading = exchange.getProperty(Telemetry.PROPERTY_READING, Reading.class);
        if (reading == null) {
            reading = message.getBody(Reading.class);
        }
        String pipeline = message.getHeader(Pipeline.HEADER_PIPELINE, String.class);
        @SuppressWarnings("unchecked")
        List<Features> vectors = pipeline == null ? null
                : (List<Features>) exchange.getProperty(EdgeAiHeaders.PROPERTY_FEATURES, List.class);
        Result result = new Result(reading, pipeline, message.getHeader(Pipeline.HEADER_REVISION, Long.class),
                vectors, message.getBody() instanceof Prediction p ? p : null,
                message.getHeader(EdgeAiHeaders.MODEL_THRESHOLD, Double.class),
                message.getBody() instanceof AnomalyVerdict v ? v : null);
        history.keep(reading, routePipeline.equals(pipeline) ? vectors : null);
        results.publish(result);
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
