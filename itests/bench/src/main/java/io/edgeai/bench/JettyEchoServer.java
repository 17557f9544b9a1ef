package io.edgeai.bench;

import java.io.IOException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;

/**
 * The raw HTTP baseline: Jetty 9.4, the server Karaf's HTTP service (Pax Web 8) runs on, answering every request with
 * 200 and the request body, nothing else.
 *
 * <pre>JettyEchoServer port</pre>
 */
public final class JettyEchoServer {

    private JettyEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        server.setHandler(new AbstractHandler() {
            @Override
            public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                    throws IOException {
                byte[] body = request.getInputStream().readAllBytes();
                response.setStatus(200);
                response.setContentType("application/json");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
                base.setHandled(true);
            }
        });
        server.start();
        System.out.println("Jetty echo server on " + args[0]);
    }
}
