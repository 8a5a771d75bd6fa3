package com.hsrcpay.apikeys.transparency.note;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signed notes against the vectors of golang.org/x/mod/sumdb/note and c2sp.org (vectors/signed-note). */
class SignedNoteTest {

    static String vector(String name) {
        try (InputStream in = SignedNoteTest.class.getResourceAsStream("/vectors/signed-note/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";

    @Test
    void theGoSignerKeySignsExactlyAsGoDoesAndDerivesItsVerifierKey() {
        NoteSigner signer = NoteSigner.parse(vector("peter-neumann.skey").trim());
        assertThat(signer.sign(TEXT)).isEqualTo(vector("peter-neumann.note"));
        assertThat(signer.verifier().toString()).isEqualTo(vector("peter-neumann.vkey").trim());
        assertThat(signer.verifier().keyId()).isEqualTo(0xc74f20a3);
        assertThat(signer.toString()).doesNotContain("AYEKFALV");
    }

    @Test
    void notesOpenWithAnyOfTheirSignersKeys() {
        String both = vector("peter-and-enoch.note");
        assertThat(SignedNote.open(both, NoteVerifier.parse(vector("peter-neumann.vkey").trim()))).isEqualTo(TEXT);
        assertThat(SignedNote.open(both, NoteVerifier.parse(vector("enoch-root.vkey").trim()))).isEqualTo(TEXT);
        assertThat(SignedNote.open(vector("c2sp-example.note").getBytes(StandardCharsets.UTF_8),
                NoteVerifier.parse(vector("c2sp-example.vkey").trim()))).isEqualTo("This is an example message.\n");
    }

    @Test
    void anEditedTextAForeignKeyOrABrokenSignatureIsRefused() {
        NoteVerifier peter = NoteVerifier.parse(vector("peter-neumann.vkey").trim());
        String note = vector("peter-neumann.note");
        assertThatThrownBy(() -> SignedNote.open(note.replace("answer", "ANSWER"), peter))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> SignedNote.open(note, NoteVerifier.parse(vector("enoch-root.vkey").trim())))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("no signature of the trusted key");
        assertThatThrownBy(() -> SignedNote.open(note.replace("x08go", "x08gp"), peter))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> SignedNote.open(note.replace("\n\n", "\n"), peter))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> SignedNote.open(note.replace("problem,", "problem,\t"), peter))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> SignedNote.open(new byte[] {(byte) 0xff, '\n', '\n'}, peter))
                .isInstanceOf(NoteFormatException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void everyOneByteManglingOfAKeyIsRefused() {
        String vkey = vector("peter-neumann.vkey").trim();
        String skey = vector("peter-neumann.skey").trim();
        for (String key : new String[] {vkey, skey}) {
            byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i]++;
                String mangled = new String(bytes, StandardCharsets.ISO_8859_1);
                if (key == vkey) {
                    assertThatThrownBy(() -> NoteVerifier.parse(mangled)).as(mangled).isInstanceOf(NoteFormatException.class);
                } else {
                    assertThatThrownBy(() -> NoteSigner.parse(mangled)).as(mangled).isInstanceOf(NoteFormatException.class);
                }
                bytes[i]--;
            }
        }
        // from Go's tests: a key of the wrong length and an unknown algorithm, each with its key id adjusted
        assertThatThrownBy(() -> NoteVerifier.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> NoteVerifier.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(NoteFormatException.class);
    }

    @Test
    void aGeneratedKeySignsCheckpointsItsVerifierOpens() {
        NoteSigner signer = NoteSigner.parse(NoteSigner.generate("hsrcpay.example/api-keys"));
        Checkpoint checkpoint = new Checkpoint("hsrcpay.example/api-keys", 3, new byte[32]);
        String note = signer.sign(checkpoint.text());
        String opened = SignedNote.open(note, NoteVerifier.parse(signer.verifier().toString()));
        assertThat(Checkpoint.parse(opened)).isEqualTo(checkpoint);
        assertThat(note).startsWith("hsrcpay.example/api-keys\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 hsrcpay.example/api-keys ");
        byte[] signature = Base64.getDecoder().decode(note.substring(note.lastIndexOf(' ') + 1).trim());
        assertThat(signature).hasSize(68);
        assertThat(java.nio.ByteBuffer.wrap(signature, 0, 4).getInt()).isEqualTo(signer.verifier().keyId());
    }

    @Test
    void theC2spCheckpointExampleParses() {
        String note = vector("c2sp-checkpoint.txt");
        Checkpoint checkpoint = Checkpoint.parse(note.substring(0, note.indexOf("\n\n") + 1));
        assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(checkpoint.size()).isEqualTo(20852163);
        assertThat(Base64.getEncoder().encodeToString(checkpoint.rootHash()))
                .isEqualTo("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
        assertThat(checkpoint.text()).isEqualTo(note.substring(0, note.indexOf("\n\n") + 1));
        assertThatThrownBy(() -> Checkpoint.parse("o\n012\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
                .isInstanceOf(NoteFormatException.class);
        assertThatThrownBy(() -> Checkpoint.parse("o\n1\nAAAA\n")).isInstanceOf(NoteFormatException.class);
    }
}
