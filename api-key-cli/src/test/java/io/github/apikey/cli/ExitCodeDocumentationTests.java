package io.github.apikey.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit codes the README lists are those the command line has, with the meanings {@code --help} gives. */
class ExitCodeDocumentationTests {

    @Test
    void theReadmeListsEveryExitCodeAsHelpDoes() throws Exception {
        Map<String, String> help = new LinkedHashMap<>();
        for (String entry : ExitCode.HELP) {
            help.put(entry.substring(0, entry.indexOf(':')), entry.substring(entry.indexOf(':') + 1));
        }
        assertThat(CliH2IT.readmeExitCodes()).containsExactlyEntriesOf(help);
    }
}
