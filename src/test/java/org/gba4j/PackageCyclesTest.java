package org.gba4j;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packages' dependencies point one way: no package reaches itself through others. */
class PackageCyclesTest {
    private static final Path MAIN = Path.of("src/main/java/org/gba4j");
    private static final Pattern USE = Pattern.compile("org\\.gba4j\\.([a-z]+)\\.[A-Z]");

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        assertTrue(deps.size() > 10, "read the sources: " + deps.keySet());
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            Deque<List<String>> paths = new ArrayDeque<>(List.of(List.of(start)));
            Set<String> seen = new TreeSet<>();
            while (!paths.isEmpty()) {
                List<String> path = paths.poll();
                for (String next : deps.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    List<String> longer = new ArrayList<>(path);
                    longer.add(next);
                    if (next.equals(start)) {
                        cycles.add(String.join(" -> ", longer));
                    } else if (seen.add(next)) {
                        paths.add(longer);
                    }
                }
            }
        }
        assertEquals(List.of(), cycles);
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String own = MAIN.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> used = deps.computeIfAbsent(own, k -> new TreeSet<>());
                Matcher m = USE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(own)) {
                        used.add(m.group(1));
                    }
                }
            }
        }
        return deps;
    }
}
