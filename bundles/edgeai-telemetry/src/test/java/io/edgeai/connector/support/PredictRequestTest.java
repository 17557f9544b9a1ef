package io.edgeai.connector.support;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class PredictRequestTest {

    private static float[][] rows(String json) {
        return PredictRequest.rows(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(String json) {
        return assertThrows(IllegalArgumentException.class, () -> rows(json)).getMessage();
    }

    @Test
    public void rowsOfAnyWidthAndOtherFieldsSkipped() {
        StringBuilder wide = new StringBuilder("[");
        for (int i = 0; i < 300; i++) {
            wide.append(i == 0 ? "" : ",").append(i * 0.5);
        }
        float[][] got = rows("{\"id\": {\"a\": [1, 2]}, \"inputs\": [[1, -2.5e3, 3], " + wide + "]], \"x\": null}");
        assertArrayEquals(new float[] {1, -2500, 3}, got[0], 0);
        assertEquals(300, got[1].length);
        assertEquals(149.5f, got[1][299], 0);
    }

    @Test
    public void mistakesAreNamedWithTheirPlace() {
        assertTrue(refusal("{\"inputs\": [[1, 2]").startsWith("not JSON"));
        assertTrue(refusal("{\"inputs\": [[NaN]]}").startsWith("not JSON"));
        assertTrue(refusal("[1, 2]").startsWith("expected {\"inputs\""));
        assertTrue(refusal("{\"values\": [[1]]}").startsWith("expected {\"inputs\""));
        assertTrue(refusal("{\"inputs\": []}").startsWith("expected {\"inputs\""));
        assertEquals("inputs[1] must be a non-empty list of numbers", refusal("{\"inputs\": [[1], []]}"));
        assertEquals("inputs[0] must be a non-empty list of numbers", refusal("{\"inputs\": [1, 2]}"));
        assertEquals("inputs[0][1] is not a number: \"x\"", refusal("{\"inputs\": [[1, \"x\"]]}"));
        assertEquals("inputs[0][0] is not a number: null", refusal("{\"inputs\": [[null]]}"));
        assertEquals("inputs[0][0] does not fit a float", refusal("{\"inputs\": [[1e39]]}"));
        assertTrue(refusal("").startsWith("expected") || refusal("").startsWith("not JSON"));
    }

    @Test
    public void theExplainParameterOfTheUriIsTrueOrFalse() {
        PredictRequest plain = PredictRequest.parse("{\"inputs\": [[1]]}".getBytes());
        org.junit.Assert.assertFalse(plain.withExplainParameter(null).explain());
        org.junit.Assert.assertFalse(plain.withExplainParameter("false").explain());
        org.junit.Assert.assertTrue(plain.withExplainParameter("true").explain());
        org.junit.Assert.assertTrue("the body's flag stays", PredictRequest.parse(
                "{\"inputs\": [[1]], \"explain\": true}".getBytes()).withExplainParameter("false").explain());
        for (String bad : new String[] {"yes", "", "TRUE", "1"}) {
            try {
                plain.withExplainParameter(bad);
                org.junit.Assert.fail("accepted explain=" + bad);
            } catch (IllegalArgumentException expected) {
                org.junit.Assert.assertEquals("explain must be true or false", expected.getMessage());
            }
        }
    }
}
