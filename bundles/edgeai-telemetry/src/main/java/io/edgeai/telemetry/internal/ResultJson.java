package io.edgeai.telemetry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeai.api.reading.Reading;

/** The answer to a device while no model is bound: the reading as the gateway understood it. */
final class ResultJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultJson() {
    }

    static String acknowledgement(Reading reading) {
        ObjectNode result = MAPPER.createObjectNode();
        result.put("deviceId", reading.deviceId());
        result.put("ts", reading.timestamp().toEpochMilli());
        ObjectNode values = result.putObject("values");
        reading.values().forEach(values::put);
        try {
            return MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a result of finite numbers", e);
        }
    }
}
