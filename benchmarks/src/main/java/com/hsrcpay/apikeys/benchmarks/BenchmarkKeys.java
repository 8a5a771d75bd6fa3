package com.hsrcpay.apikeys.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Keys the HTTP harnesses create through the API port before they measure, and wrk's script to delete them. */
final class BenchmarkKeys {

    private static final Pattern KEY = Pattern.compile("\"key\":\"(sk_live_[0-9A-Za-z]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BenchmarkKeys() {
    }

    /** A created key: its id, and its plaintext secret (answered this once). */
    record Created(String id, String plaintext) {
    }

    /** Honours 503 and 429 as the service means them: retried after its Retry-After, ten times at most. */
    static Created create(String api, String token, String body) throws IOException, InterruptedException {
        HttpResponse<String> created = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            created = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/?account_id=acct_dev"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 503 && created.statusCode() != 429) {
                break;
            }
            Thread.sleep(1_000L * created.headers().firstValueAsLong("Retry-After").orElse(1));
        }
        Matcher id = ID.matcher(created.body());
        Matcher key = KEY.matcher(created.body());
        if (created.statusCode() != 201 || !id.find() || !key.find()) {
            throw new IllegalStateException("could not create a benchmark key: " + created.statusCode() + " "
                    + created.body());
        }
        return new Created(id.group(1), key.group(1));
    }

    /** Deletes one key (200, or 404 if an earlier DELETE of it was applied), retried on 503/429 like a create. */
    static void delete(String api, String token, String id) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            HttpResponse<Void> deleted = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/api-keys/" + id))
                    .header("Authorization", "Bearer " + token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            if (deleted.statusCode() == 200 || deleted.statusCode() == 404) {
                return;
            }
            if (deleted.statusCode() != 503 && deleted.statusCode() != 429) {
                throw new IllegalStateException("DELETE of key " + id + " answered " + deleted.statusCode());
            }
            Thread.sleep(1_000L * deleted.headers().firstValueAsLong("Retry-After").orElse(1));
        }
        throw new IllegalStateException("DELETE of key " + id + " refused ten times");
    }

    /** {@code count} keys by 8 concurrent clients; their ids in no particular order. */
    static List<String> createMany(String api, String token, String body, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Created>> created = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                created.add(clients.submit(() -> create(api, token, body)));
            }
            List<String> ids = new ArrayList<>(count);
            for (Future<Created> key : created) {
                ids.add(key.get().id());
            }
            return ids;
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * wrk deletes each id once: each of its (two) threads takes every other id ({@code setup} runs once per thread,
     * {@code request} for each request of that thread's connections); past the last id it asks for a key that does
     * not exist, a 404 that fails the run.
     */
    static Path deleteScript(String token, List<String> ids) throws IOException {
        Path idFile = Files.createTempFile("bench-ids-", ".txt");
        Files.write(idFile, ids);
        idFile.toFile().deleteOnExit();
        return Wrk.luaFile("""
                local threads = 0
                function setup(thread)
                  thread:set("tid", threads)
                  threads = threads + 1
                end
                function init(args)
                  ids = {}
                  local n = 0
                  for line in io.lines("%s") do
                    if n %% 2 == tid then table.insert(ids, line) end
                    n = n + 1
                  end
                  next_id = 1
                  wrk.headers["Authorization"] = "Bearer %s"
                end
                function request()
                  local id = ids[next_id] or "00000000-0000-4000-8000-000000000000"
                  next_id = next_id + 1
                  return wrk.format("DELETE", "/v1/api-keys/" .. id)
                end
                """.formatted(idFile, token));
    }
}
