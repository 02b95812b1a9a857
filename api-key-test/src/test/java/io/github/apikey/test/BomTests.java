package io.github.apikey.test;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOM has no parent (so that importing it brings our versions only), so nothing keeps it in step with the build
 * but this test: its version is the project's, and it manages every library module at that version.
 */
class BomTests {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theBomManagesEveryLibraryModuleAtTheProjectsVersion() throws Exception {
        Element parent = read("pom.xml");
        Element bom = read("api-key-bom/pom.xml");

        assertThat(child(bom, "version")).isEqualTo(child(parent, "version"));
        assertThat(child(bom, "groupId")).isEqualTo(child(parent, "groupId"));
        assertThat(bom.getElementsByTagName("parent").getLength()).as("the BOM must not inherit management").isZero();

        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            assertThat(child(dependency, "groupId")).isEqualTo("io.github.apikey");
            assertThat(child(dependency, "version")).isEqualTo("${project.version}");
            managed.add(child(dependency, "artifactId"));
        }
        assertThat(managed).contains("api-key-core", "api-key-spring-boot-starter", "api-key-test");
        List<String> modules = new ArrayList<>();
        NodeList moduleNodes = parent.getElementsByTagName("module");
        for (int i = 0; i < moduleNodes.getLength(); i++) {
            modules.add(moduleNodes.item(i).getTextContent().trim());
        }
        assertThat(modules).containsAll(managed).contains("api-key-bom");
    }

    private static Element read(String pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve(pom).toFile());
        return document.getDocumentElement();
    }

    /** The text of a direct child element. */
    private static String child(Element element, String name) {
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().trim();
            }
        }
        return null;
    }
}
