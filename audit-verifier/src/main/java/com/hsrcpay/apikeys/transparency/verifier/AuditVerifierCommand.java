package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.note.NoteFormatException;
import com.hsrcpay.apikeys.transparency.note.NoteVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar audit-verifier.jar --public-key key.txt --export export.ndjson [--checkpoint checkpoint.txt]
 * [--previous-checkpoint old.txt [--consistency proof.json]] [--previous-export old.ndjson]}, or without an export
 * {@code --public-key key.txt --checkpoint new.txt --previous-checkpoint old.txt --consistency proof.json} (is the
 * old tree a prefix of the new one?): the report on standard output, progress on standard error; exit 0 intact,
 * 1 not intact, 2 usage (a missing or unreadable file, an unknown option, a public key that is not one).
 */
public final class AuditVerifierCommand {

    static final int INTACT = 0;
    static final int NOT_INTACT = 1;
    static final int USAGE = 2;
    static final String USAGE_TEXT = """
            usage: java -jar audit-verifier.jar --public-key key.txt --export export.ndjson [--checkpoint checkpoint.txt]
                       [--previous-checkpoint old.txt [--consistency proof.json]] [--previous-export old.ndjson]
               or: java -jar audit-verifier.jar --public-key key.txt --checkpoint new.txt --previous-checkpoint old.txt
                       --consistency proof.json
              --export               an account's GET /v1/audit/events (its header carries the checkpoint its proofs
                                     lead to)
              --checkpoint           a checkpoint you saved: the export's must be the same one
              --previous-checkpoint  an earlier checkpoint: the log must only have been appended to since
              --consistency          GET /v1/transparency/consistency?first=<earlier size>&second=<size> saved
              --previous-export      an earlier export of the account: every event in it must still be there""";
    private static final List<String> OPTIONS = List.of("--export", "--checkpoint", "--public-key",
            "--previous-checkpoint", "--consistency", "--previous-export");

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
        boolean audit = options.containsKey("--export");
        boolean consistencyOnly = !audit && options.keySet().containsAll(List.of("--checkpoint",
                "--previous-checkpoint", "--consistency"));
        if (!options.containsKey("--public-key") || !(audit || consistencyOnly)
                || (options.containsKey("--consistency") && !options.containsKey("--previous-checkpoint"))
                || (options.containsKey("--previous-export") && !audit)) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        NoteVerifier verifier;
        String checkpoint;
        String previous;
        String consistency;
        try {
            verifier = NoteVerifier.parse(read(options.get("--public-key")).trim());
            checkpoint = readIfGiven(options.get("--checkpoint"));
            previous = readIfGiven(options.get("--previous-checkpoint"));
            consistency = readIfGiven(options.get("--consistency"));
        } catch (IOException e) {
            err.println("cannot read " + e.getMessage());
            return USAGE;
        } catch (NoteFormatException e) {
            err.println("--public-key is not a note verifier key: " + e.getMessage());
            return USAGE;
        }
        AuditVerification.Result result;
        if (!audit) {
            try {
                result = new AuditVerification(verifier, err).verify(new AuditVerification.Inputs(null, null,
                        checkpoint, previous, consistency, null, null));
            } catch (IOException e) {
                err.println("cannot read: " + e.getMessage());
                return USAGE;
            }
        } else {
            Path export = Path.of(options.get("--export"));
            Path previousExport = options.containsKey("--previous-export") ? Path.of(options.get("--previous-export"))
                    : null;
            try (InputStream lines = open(export);
                 InputStream previousLines = previousExport == null ? null : open(previousExport)) {
                err.println("auditing " + export + " ...");
                result = new AuditVerification(verifier, err).verify(new AuditVerification.Inputs(lines,
                        export.toString(), checkpoint, previous, consistency, previousLines,
                        previousExport == null ? null : previousExport.toString()));
            } catch (java.nio.charset.CharacterCodingException e) {
                out.println("FINDING: the export is not UTF-8");
                out.println("RESULT: NOT INTACT (1 findings)");
                return NOT_INTACT;
            } catch (IOException e) {
                err.println("cannot read " + e.getMessage());
                return USAGE;
            }
        }
        result.report().forEach(out::println);
        return result.intact() ? INTACT : NOT_INTACT;
    }

    private static InputStream open(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String readIfGiven(String file) throws IOException {
        return file == null ? null : read(file);
    }

    private static String read(String file) throws IOException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
