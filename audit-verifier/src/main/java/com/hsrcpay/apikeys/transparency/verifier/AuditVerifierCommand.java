package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.note.NoteFormatException;
import com.hsrcpay.apikeys.transparency.note.NoteVerifier;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.io.InputStreamReader;

/**
 * {@code java -jar audit-verifier.jar --export export.ndjson --checkpoint checkpoint.txt --public-key key.txt
 * [--previous-checkpoint old.txt]}: the report on standard output, progress on standard error; exit 0 intact,
 * 1 not intact, 2 usage (a missing or unreadable file, an unknown option, a public key that is not one).
 */
public final class AuditVerifierCommand {

    static final int INTACT = 0;
    static final int NOT_INTACT = 1;
    static final int USAGE = 2;
    static final String USAGE_TEXT = "usage: java -jar audit-verifier.jar --export export.ndjson --checkpoint "
            + "checkpoint.txt --public-key key.txt [--previous-checkpoint old.txt]";
    private static final List<String> OPTIONS = List.of("--export", "--checkpoint", "--public-key",
            "--previous-checkpoint");

    private AuditVerifierCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The program with its output streams given: what main runs and tests call. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!OPTIONS.contains(args[i]) || i + 1 >= args.length || options.containsKey(args[i])) {
                err.println(USAGE_TEXT);
                return USAGE;
            }
            options.put(args[i], args[++i]);
        }
        if (!options.keySet().containsAll(List.of("--export", "--checkpoint", "--public-key"))) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        NoteVerifier verifier;
        String checkpoint;
        String previous;
        try {
            verifier = NoteVerifier.parse(read(options.get("--public-key")).trim());
            checkpoint = read(options.get("--checkpoint"));
            previous = options.containsKey("--previous-checkpoint") ? read(options.get("--previous-checkpoint")) : null;
        } catch (IOException e) {
            err.println("cannot read " + e.getMessage());
            return USAGE;
        } catch (NoteFormatException e) {
            err.println("--public-key is not a note verifier key: " + e.getMessage());
            return USAGE;
        }
        Path export = Path.of(options.get("--export"));
        AuditVerification.Result result;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(export),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
            err.println("auditing " + export + " ...");
            result = new AuditVerification(verifier, err).verify(lines, export.toString(), checkpoint, previous);
        } catch (java.nio.charset.CharacterCodingException e) {
            out.println("FINDING: the export is not UTF-8");
            out.println("RESULT: NOT INTACT (1 findings)");
            return NOT_INTACT;
        } catch (IOException e) {
            err.println("cannot read " + export + ": " + e.getMessage());
            return USAGE;
        }
        result.report().forEach(out::println);
        return result.intact() ? INTACT : NOT_INTACT;
    }

    private static String read(String file) throws IOException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
