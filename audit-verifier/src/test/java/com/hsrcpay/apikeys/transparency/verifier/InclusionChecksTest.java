package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.merkle.ReferenceMerkle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The remembering proof checks against proofs built by the independent reference implementation, for every leaf of
 * every tree up to 70 leaves: all accepted in any order, and with the nodes of earlier proofs remembered, still no
 * proof accepted with any hash changed, for another leaf, or of another length.
 */
class InclusionChecksTest {

    static List<byte[]> leaves(int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            leaves.add(ReferenceMerkle.leafHash(new byte[] {(byte) i, 42}));
        }
        return leaves;
    }

    static List<Object> text(List<byte[]> hashes) {
        List<Object> text = new ArrayList<>();
        hashes.forEach(h -> text.add(Base64.getEncoder().encodeToString(h)));
        return text;
    }

    @Test
    void everyGenuineProofPassesInAnyOrderAndNoAlteredOneDoes() {
        Random random = new Random(16);
        for (int n = 1; n <= 70; n++) {
            List<byte[]> leaves = leaves(n);
            byte[] root = ReferenceMerkle.mth(leaves);
            List<Integer> order = new ArrayList<>();
            for (int m = 0; m < n; m++) {
                order.add(m);
            }
            Collections.shuffle(order, random);
            InclusionChecks checks = new InclusionChecks(n, root);
            for (int m : order) {
                List<byte[]> path = ReferenceMerkle.path(m, leaves);
                assertThat(checks.verify(m, leaves.get(m), text(path))).as("leaf %d of %d", m, n).isTrue();
            }
            // now that every node is remembered: another leaf's data (with the genuine or an altered path), another
            // place, wrong lengths are all refused; an altered path of the genuine leaf is refused by a fresh check:
            // one that has passed nothing, so remembers nothing (a proof's nodes are remembered once it passed), and
            // serves them all (each check holds megabytes of slots: a new one per altered path, 14,000, took 20 s)
            InclusionChecks refusing = new InclusionChecks(n, root);
            for (int m = 0; m < n; m++) {
                List<byte[]> path = ReferenceMerkle.path(m, leaves);
                byte[] other = ReferenceMerkle.leafHash(new byte[] {(byte) m, 43});
                assertThat(checks.verify(m, other, text(path))).as("another leaf's data at %d of %d", m, n).isFalse();
                for (int i = 0; i < path.size(); i++) {
                    List<byte[]> altered = new ArrayList<>(path);
                    byte[] hash = altered.get(i).clone();
                    hash[i % 32] ^= 1;
                    altered.set(i, hash);
                    assertThat(refusing.verify(m, leaves.get(m), text(altered)))
                            .as("leaf %d of %d, hash %d altered", m, n, i).isFalse();
                    assertThat(checks.verify(m, other, text(altered))).isFalse();
                }
                if (n > 1) {
                    int elsewhere = (m + 1) % n;
                    assertThat(checks.verify(elsewhere, leaves.get(m), text(path))).as("leaf %d moved", m).isFalse();
                }
                List<byte[]> longer = new ArrayList<>(path);
                longer.add(root);
                assertThat(checks.verify(m, leaves.get(m), text(longer))).isFalse();
                if (!path.isEmpty()) {
                    assertThat(checks.verify(m, leaves.get(m), text(path.subList(0, path.size() - 1)))).isFalse();
                }
            }
            // the refused proofs left nothing behind that is taken for a node of the tree: the genuine ones still
            // pass on the check that refused the altered ones
            for (int m = 0; m < n; m++) {
                assertThat(refusing.verify(m, leaves.get(m), text(ReferenceMerkle.path(m, leaves))))
                        .as("leaf %d of %d after the refusals", m, n).isTrue();
            }
        }
    }

    @Test
    void halfTheLeavesRemembered_TheOthersAreCheckedUpToARememberedNode() {
        for (int n = 2; n <= 70; n++) {
            List<byte[]> leaves = leaves(n);
            byte[] root = ReferenceMerkle.mth(leaves);
            InclusionChecks checks = new InclusionChecks(n, root);
            for (int m = 0; m < n; m += 4) {
                assertThat(checks.verify(m, leaves.get(m), text(ReferenceMerkle.path(m, leaves)))).isTrue();
            }
            for (int m = 2; m < n; m += 4) {
                List<byte[]> path = ReferenceMerkle.path(m, leaves);
                assertThat(checks.verify(m, ReferenceMerkle.leafHash(new byte[] {(byte) m, 43}), text(path)))
                        .as("another leaf's data at %d of %d", m, n).isFalse();
                List<byte[]> altered = new ArrayList<>(path);
                altered.set(0, ReferenceMerkle.leafHash(new byte[] {9}));
                assertThat(checks.verify(m, leaves.get(m), text(altered)))
                        .as("the sibling of %d of %d altered, its remembered value differs", m, n).isFalse();
                assertThat(checks.verify(m, leaves.get(m), text(path))).as("leaf %d of %d", m, n).isTrue();
            }
        }
    }

    @Test
    void aFreshCheckReadsTheWholePathAndRefusesMalformedHashes() {
        List<byte[]> leaves = leaves(13);
        byte[] root = ReferenceMerkle.mth(leaves);
        List<Object> path = text(ReferenceMerkle.path(5, leaves));
        List<Object> garbage = new ArrayList<>(path);
        garbage.set(1, "not base64!");
        assertThat(new InclusionChecks(13, root).verify(5, leaves.get(5), garbage)).isFalse();
        List<Object> short32 = new ArrayList<>(path);
        short32.set(0, Base64.getEncoder().encodeToString(new byte[31]));
        assertThat(new InclusionChecks(13, root).verify(5, leaves.get(5), short32)).isFalse();
        List<Object> number = new ArrayList<>(path);
        number.set(0, 7);
        assertThat(new InclusionChecks(13, root).verify(5, leaves.get(5), number)).isFalse();
        assertThat(new InclusionChecks(13, root).verify(13, leaves.get(5), path)).isFalse();
        assertThat(new InclusionChecks(13, root).verify(-1, leaves.get(5), path)).isFalse();
        assertThat(new InclusionChecks(13, root).verify(5, leaves.get(5), path)).isTrue();
    }

    @Test
    void everyHashOfAProofIsCheckedEvenWhereItsPathMeetsRememberedNodes() {
        for (int n = 2; n <= 70; n++) {
            List<byte[]> leaves = leaves(n);
            byte[] root = ReferenceMerkle.mth(leaves);
            InclusionChecks checks = new InclusionChecks(n, root);
            // in leaf order, as an export reads them: each proof shares its upper part with the one before
            for (int m = 0; m < n; m++) {
                List<byte[]> path = ReferenceMerkle.path(m, leaves);
                for (int i = 0; i < path.size(); i++) {
                    List<byte[]> altered = new ArrayList<>(path);
                    byte[] hash = altered.get(i).clone();
                    hash[(i * 7) % 32] ^= 0x10;
                    altered.set(i, hash);
                    assertThat(checks.verify(m, leaves.get(m), text(altered)))
                            .as("leaf %d of %d, hash %d altered, after the leaves before it", m, n, i).isFalse();
                    // the same value written another way (bits beyond the 32 bytes set) is the same proof
                    List<Object> respelled = text(path);
                    String spelled = (String) respelled.get(i);
                    char last = spelled.charAt(42);
                    respelled.set(i, spelled.substring(0, 42) + (last == 'A' ? 'B' : last) + "=");
                    if (last == 'A') {
                        assertThat(checks.verify(m, leaves.get(m), respelled)).as("respelled").isTrue();
                    }
                }
                assertThat(checks.verify(m, leaves.get(m), text(path))).as("leaf %d of %d", m, n).isTrue();
            }
        }
    }

    @Test
    void theBase64OfAHashIsReadAsTheJdkReadsIt() {
        Random random = new Random(16);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \"\u00fc";
        for (int round = 0; round < 20_000; round++) {
            byte[] hash = new byte[32];
            random.nextBytes(hash);
            StringBuilder text = new StringBuilder(Base64.getEncoder().encodeToString(hash));
            for (int k = random.nextInt(3); k > 0; k--) {
                text.setCharAt(random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(bytes);
                if (expected.length != 32) {
                    expected = null;
                }
            } catch (IllegalArgumentException e) {
                expected = null;
            }
            assertThat(InclusionChecks.decode(bytes, 0, bytes.length)).as(text.toString()).isEqualTo(expected);
        }
    }
}
