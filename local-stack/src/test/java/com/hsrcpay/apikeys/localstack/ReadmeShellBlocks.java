package com.hsrcpay.apikeys.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's {@code ```bash} blocks, in order. A block is meant to run as pasted against a fresh local stack unless
 * the line right before its fence says why not: {@code <!-- not run: needs Docker -->}.
 */
record ReadmeShellBlocks(List<Block> blocks) {

    private static final Pattern NOT_RUN = Pattern.compile("^<!--\\s*not run:(.*)-->$");
    /** A curl command: at a command position (start, after a pipe, {@code $(}, {@code ;}, {@code &&}, ...). */
    private static final Pattern CURL = Pattern.compile("(?:^|[\\s(;&|])curl(?=\\s)");
    /** {@code --fail}, {@code --fail-with-body} or a short-option cluster holding {@code f} ({@code -f}, {@code -fsS}). */
    private static final Pattern FAILS_LOUDLY = Pattern.compile("\\s(?:--fail(?:-with-body)?|-[A-Za-z]*f[A-Za-z]*)(?=\\s|$)");

    /**
     * @param line           the README line of the opening fence (1-based)
     * @param notRunBecause  empty when the block is meant to run; else the reason its marker gives (may be blank)
     */
    record Block(int line, String code, Optional<String> notRunBecause) {

        boolean runnable() {
            return notRunBecause.isEmpty();
        }

        /** Each curl command of the block (comments dropped, continuation lines joined), from "curl" to its line's end. */
        List<String> curlCommands() {
            List<String> commands = new ArrayList<>();
            for (String logical : code.replace("\\\n", " ").split("\n")) {
                String command = logical.strip().startsWith("#") ? "" : logical;
                Matcher curl = CURL.matcher(command);
                List<Integer> starts = new ArrayList<>();
                while (curl.find()) {
                    starts.add(curl.end() - "curl".length());
                }
                for (int i = 0; i < starts.size(); i++) {
                    int end = i + 1 < starts.size() ? starts.get(i + 1) : command.length();
                    commands.add(command.substring(starts.get(i), end).strip());
                }
            }
            return commands;
        }

        static boolean failsLoudly(String curlCommand) {
            return FAILS_LOUDLY.matcher(curlCommand).find();
        }
    }

    /** The repository's README.md, found above the module's directory (Maven's basedir, or the working directory). */
    static ReadmeShellBlocks ofTheReadme() throws IOException {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("mvnw"))) {
                return parse(Files.readString(p.resolve("README.md")));
            }
        }
        throw new IllegalStateException("README.md not found above " + dir);
    }

    static ReadmeShellBlocks parse(String markdown) {
        List<String> lines = markdown.lines().toList();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i);
            if (!fence.startsWith("```")) {
                continue;
            }
            int close = i + 1;
            while (close < lines.size() && !lines.get(close).startsWith("```")) {
                close++;
            }
            if (close == lines.size()) {
                throw new IllegalArgumentException("README line " + (i + 1) + ": a code block that never closes");
            }
            if (fence.strip().equals("```bash")) {
                String code = String.join("\n", lines.subList(i + 1, close)) + "\n";
                blocks.add(new Block(i + 1, code, notRunReason(lines, i)));
            }
            i = close;
        }
        return new ReadmeShellBlocks(List.copyOf(blocks));
    }

    List<Block> runnable() {
        return blocks.stream().filter(Block::runnable).toList();
    }

    /** The marker on the last non-blank line before the fence, if any. */
    private static Optional<String> notRunReason(List<String> lines, int fence) {
        for (int i = fence - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                Matcher marker = NOT_RUN.matcher(line);
                return marker.matches() ? Optional.of(marker.group(1).strip()) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
