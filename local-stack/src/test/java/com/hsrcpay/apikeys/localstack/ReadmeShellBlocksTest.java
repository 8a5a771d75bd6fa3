package com.hsrcpay.apikeys.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What can be checked of the README's shell blocks without running them (ReadmeExamplesIT runs them). */
class ReadmeShellBlocksTest {

    @Test
    void everyShellBlockOfTheReadmeRunsOrSaysWhyNot() throws IOException {
        ReadmeShellBlocks readme = ReadmeShellBlocks.ofTheReadme();
        assertThat(readme.runnable()).as("runnable ```bash blocks in the README").isNotEmpty();
        assertThat(readme.blocks()).filteredOn(block -> !block.runnable())
                .allSatisfy(block -> assertThat(block.notRunBecause().orElseThrow())
                        .as("the not-run marker before README line %d gives a reason", block.line()).isNotBlank());
    }

    /** A failing example must stop the reader (and the test) at that command, not answer a misleading next one. */
    @Test
    void everyCurlOfARunnableBlockFailsLoudly() throws IOException {
        List<String> quiet = ReadmeShellBlocks.ofTheReadme().runnable().stream()
                .flatMap(block -> block.curlCommands().stream()
                        .filter(curl -> !ReadmeShellBlocks.Block.failsLoudly(curl))
                        .map(curl -> "README line " + block.line() + ": " + curl))
                .toList();
        assertThat(quiet).as("curl commands without --fail-with-body (or -f)").isEmpty();
    }

    @Test
    void onlyBashBlocksCountAndAMarkerRightBeforeTheFenceKeepsOneFromRunning() {
        ReadmeShellBlocks parsed = ReadmeShellBlocks.parse("""
                # Title

                ```bash
                echo runs
                ```

                <!-- not run: needs Docker -->

                ```bash
                docker compose up
                ```

                <!-- not run: a marker two blocks back -->
                ```java
                int notShell = 1;
                ```
                ```bash
                curl -sS --fail-with-body "$API/v1/whoami" \\
                  -H "Authorization: Bearer $KMS_TOKEN" | grep -q acct_dev
                # curl in a comment is no command
                ID=$(curl -s "$API/x")
                ```
                """);

        assertThat(parsed.blocks()).extracting(ReadmeShellBlocks.Block::line).containsExactly(3, 9, 17);
        assertThat(parsed.blocks()).extracting(ReadmeShellBlocks.Block::notRunBecause)
                .containsExactly(Optional.empty(), Optional.of("needs Docker"), Optional.empty());
        assertThat(parsed.blocks().get(2).curlCommands()).hasSize(2).satisfiesExactly(
                first -> assertThat(ReadmeShellBlocks.Block.failsLoudly(first)).as(first).isTrue(),
                second -> assertThat(ReadmeShellBlocks.Block.failsLoudly(second)).as(second).isFalse());
    }
}
