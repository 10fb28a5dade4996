package dev.rollout.metricsgate.evidence;

import java.io.InputStream;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** A streaming XML reader that never loads a DTD or an external entity. */
final class Xml {

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
    }

    private Xml() {
    }

    static XMLStreamReader open(InputStream in) throws XMLStreamException {
        return FACTORY.createXMLStreamReader(in);
    }

    static MalformedEvidence malformed(String file, XMLStreamException e) {
        String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNumber() + ", column "
                + e.getLocation().getColumnNumber();
        String message = e.getMessage() == null ? "not well-formed XML" : e.getMessage().replaceAll("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message: ", "");
        return new MalformedEvidence(file, where, message.strip());
    }

    static long longAttribute(XMLStreamReader xml, String name, String file) {
        String value = xml.getAttributeValue(null, name);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value.strip());
        }
        catch (NumberFormatException e) {
            throw new MalformedEvidence(file, "line " + xml.getLocation().getLineNumber(), "attribute " + name + "=\""
                    + value + "\" is not a whole number");
        }
    }
}
