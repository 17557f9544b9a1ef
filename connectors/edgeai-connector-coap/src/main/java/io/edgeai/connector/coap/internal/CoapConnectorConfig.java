package io.edgeai.connector.coap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Edge AI Gateway CoAP connector")
@interface CoapConnectorConfig {

    @AttributeDefinition(description = "Address to listen on")
    String bindAddress() default "0.0.0.0";

    @AttributeDefinition(description = "UDP port (0 = any free port)")
    int port() default 5683;

    @AttributeDefinition(description = "Largest request body in bytes, block-wise transfers included")
    int maxPayloadBytes() default 65536;

    @AttributeDefinition(description = "UDP port for CoAP over DTLS with pre-shared keys; -1 = off")
    int dtlsPort() default 5684;

    @AttributeDefinition(description = "Pre-shared keys, one line per device: identity = base64 key (or :0x hex);"
            + " empty = etc/edgeai-coap-psk.properties")
    String pskFile() default "";

    @AttributeDefinition(description = "Accept plain CoAP for devices that have a pre-shared key (anyone can claim"
            + " their id over plain UDP); off by default")
    boolean plainForKeyedDevices() default false;

    @AttributeDefinition(description = "Answer POST /models/{name}/predict over plain CoAP from the network (anyone"
            + " who can send UDP to the gateway then runs its models); off by default: over DTLS any device with a key"
            + " may, over plain CoAP only this machine (loopback)")
    boolean plainPredict() default false;

    @AttributeDefinition(description = "Requests remembered in all (per endpoint, each device's last 64, ~2 KB of"
            + " heap each) to answer a device's retransmission from its first answer instead of handling the reading"
            + " twice; beyond it, requests are handled without being remembered until older ones expire. The default"
            + " covers ~60 requests a second for the 247 s CoAP lets a retransmission come")
    int maxRememberedRequests() default 16384;

    @AttributeDefinition(description = "Seconds to wait for requests in flight when stopping")
    int drainTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Threads readings are handled on (0: four per core); each waits while its"
            + " reading goes through the route")
    int workerThreads() default 0;
}
