package io.edgeai.monitoring.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.connector.Connector;
import io.edgeai.api.monitoring.Health;
import io.edgeai.api.monitoring.HealthIndicator;
import io.edgeai.api.monitoring.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code GET /api/v1/health}: each component's own health (its {@link HealthIndicator}, connectors' included), never
 * guessed, and the gateway's: DOWN when a component is down (HTTP 503, so that a load balancer or a watchdog sees
 * it), DEGRADED when one is degraded, else UP (HTTP 200).
 */
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/api/v1/health",
    "osgi.http.whiteboard.servlet.name=edgeai-health",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=edgeai)"})
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final transient List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();

    /**
     * The check that every gateway bundle, component and servlet runs: the servlet answers only once it is there, so
     * that a 200 at boot never precedes the APIs it stands for (it is among {@link #indicators} too).
     */
    @Reference(target = "(" + ComponentsHealth.PROPERTY + "=true)")
    private transient HealthIndicator components;

    /** Connectors report their health too, registered as connectors. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private final transient List<Connector> connectors = new CopyOnWriteArrayList<>();

    /** Health reasons name files; answers name them relative to the gateway's folders. */
    private static final LocalPaths PATHS = LocalPaths.ofThisGateway();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Health> all = new ArrayList<>();
        List<HealthIndicator> sources = new ArrayList<>(indicators);
        connectors.stream().filter(c -> sources.stream().noneMatch(i -> i == c)).forEach(sources::add);
        for (HealthIndicator indicator : sources) {
            try {
                all.add(indicator.health());
            } catch (RuntimeException e) {
                all.add(new Health(indicator.getClass().getSimpleName(), Status.DOWN, "its health check failed: "
                        + e));
            }
        }
        all.sort(Comparator.comparing(Health::component));
        Status overall = Health.overall(all);
        ObjectNode body = JSON.createObjectNode();
        body.put("status", overall.name());
        ArrayNode components = body.putArray("components");
        for (Health health : all) {
            components.addObject().put("component", health.component()).put("status", health.status().name())
                    .put("reason", PATHS.scrub(health.reason()));
        }
        response.setStatus(overall == Status.DOWN ? HttpServletResponse.SC_SERVICE_UNAVAILABLE
                : HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), body);
    }
}
