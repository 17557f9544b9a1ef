package io.edgeai.camel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Which files in deploy/ are Camel route files: YAML DSL files ({@code .yaml}, {@code .yml}, but not pipeline files,
 * {@code <name>.pipeline.yaml}) and XML files whose root element is one of Camel's XML DSL roots. Blueprint, Spring
 * and feature XML files are left to Karaf's own deployers.
 */
final class RouteFileTypes {

    private static final Set<String> XML_ROOTS =
            Set.of("routes", "route", "camel", "rests", "routeTemplates", "templatedRoutes", "routeConfigurations");

    private RouteFileTypes() {
    }

    static boolean isRouteFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.matches(".+\\.pipeline\\.(yaml|yml|json)")) {
            return false; // preprocessing pipelines, read by edgeai-preprocess
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return true;
        }
        if (!name.endsWith(".xml")) {
            return false;
        }
        String root = xmlRoot(file);
        return root.isEmpty() ? mentionsCamel(file) : XML_ROOTS.contains(root);
    }

    /** An XML file too broken to name its root is still ours, to report, when it speaks of Camel routes. */
    private static boolean mentionsCamel(Path file) {
        try {
            String text = Files.readString(file);
            return text.contains("camel.apache.org") || text.contains("<route");
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Why an XML text is not well-formed, with its line and column, or empty when it is. Camel's XML loader skips
     * some truncated documents without a word, so route files are checked here first.
     */
    static java.util.Optional<String> xmlProblem(String text) {
        try {
            XMLStreamReader reader = factory().createXMLStreamReader(new java.io.StringReader(text));
            try {
                while (reader.hasNext()) {
                    reader.next();
                }
            } finally {
                reader.close();
            }
            return java.util.Optional.empty();
        } catch (XMLStreamException e) {
            javax.xml.stream.Location at = e.getLocation();
            String message = e.getMessage() == null ? "not well-formed" : e.getMessage().replaceFirst(
                    "(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
            return java.util.Optional.of(at == null ? "XML not well-formed: " + message
                    : "XML not well-formed at line " + at.getLineNumber() + ", column " + at.getColumnNumber() + ": "
                            + message);
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }

    /** The local name of the document element, or "" when the file is not readable XML. */
    static String xmlRoot(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            XMLStreamReader reader = factory().createXMLStreamReader(in);
            try {
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                        return reader.getLocalName();
                    }
                }
            } finally {
                reader.close();
            }
        } catch (IOException | XMLStreamException e) {
            return "";
        }
        return "";
    }
}
