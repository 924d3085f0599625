package org.gba4j.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.gba4j.files.Sha256;

/**
 * Typed configurations (records) as named key/value pairs and back: what cells, stored models and
 * report columns record, one pair per hyperparameter instead of a {@code Config[...]} string.
 * Keys are the record's component names in snake_case; a nested record's pairs are prefixed by its
 * component's key and a dot. Values: numbers as Java prints them (a double round-trips exactly),
 * booleans, enum constants in lower case, lists of strings comma-joined. Reading goes through the
 * record's canonical constructor, so its checks run on every value read back. A component marked {@link Default} is
 * written only when it differs from its default and read as the default when absent.
 */
public final class ConfigPairs {

    /**
     * The value a record component added after settings were first stored had, in effect, before it existed: the
     * component is written only when it differs, so every earlier configuration keeps its pairs and its fingerprint
     * (stored cells stay reusable), and it is read as this value when its key is absent. For number, boolean and
     * string components.
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.RECORD_COMPONENT)
    public @interface Default {
        String value();
    }

    private ConfigPairs() {
    }

    /** {@code config}'s pairs, in component order. */
    public static Map<String, String> write(Record config) {
        Map<String, String> out = new LinkedHashMap<>();
        write("", config, out);
        return out;
    }

    /** {@code config}'s pairs with {@code prefix} and a dot before each key. */
    public static Map<String, String> write(String prefix, Record config) {
        Map<String, String> out = new LinkedHashMap<>();
        write(prefix + ".", config, out);
        return out;
    }

    private static void write(String prefix, Record config, Map<String, String> out) {
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(config);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + config.getClass().getName(), e);
            }
            String key = prefix + snake(c.getName());
            Default unset = c.getAnnotation(Default.class);
            if (unset != null && unset.value().equals(String.valueOf(value))) {
                continue;
            }
            if (value instanceof Record nested) {
                write(key + ".", nested, out);
            } else if (value instanceof Enum<?> e) {
                out.put(key, e.name().toLowerCase(Locale.ROOT));
            } else if (value instanceof List<?> list) {
                out.put(key, String.join(",", list.stream().map(String::valueOf).toList()));
            } else {
                out.put(key, String.valueOf(value));
            }
        }
    }

    /**
     * The record of {@code type} whose pairs are {@code pairs} (extra keys are ignored).
     *
     * @throws IllegalArgumentException naming the key when one is missing or its value does not parse
     */
    public static <R extends Record> R read(Class<R> type, Map<String, String> pairs) {
        return read(type, "", pairs);
    }

    private static <R extends Record> R read(Class<R> type, String prefix, Map<String, String> pairs) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String key = prefix + snake(c.getName());
            Class<?> t = c.getType();
            if (t.isRecord()) {
                values[i] = read(t.asSubclass(Record.class), key + ".", pairs);
                continue;
            }
            Default unset = c.getAnnotation(Default.class);
            String text = pairs.getOrDefault(key, unset == null ? null : unset.value());
            if (text == null) {
                throw new IllegalArgumentException("configuration key '" + key + "' is missing");
            }
            try {
                values[i] = parse(t, c.getGenericType(), text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("configuration key '" + key + "': cannot read '" + text + "' as "
                        + t.getSimpleName());
            }
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof IllegalArgumentException iae ? iae
                    : new IllegalArgumentException(type.getSimpleName() + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Class<?> t, Type generic, String text) {
        if (t == String.class) {
            return text;
        } else if (t == int.class || t == Integer.class) {
            return Integer.parseInt(text);
        } else if (t == long.class || t == Long.class) {
            return Long.parseLong(text);
        } else if (t == double.class || t == Double.class) {
            return Double.parseDouble(text);
        } else if (t == boolean.class || t == Boolean.class) {
            if (!text.equals("true") && !text.equals("false")) {
                throw new IllegalArgumentException(text);
            }
            return Boolean.parseBoolean(text);
        } else if (t.isEnum()) {
            return Enum.valueOf((Class<Enum>) t, text.toUpperCase(Locale.ROOT));
        } else if (t == List.class && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class) {
            return text.isEmpty() ? List.of() : List.copyOf(new ArrayList<>(Arrays.asList(text.split(",", -1))));
        }
        throw new IllegalStateException("configurations hold numbers, booleans, strings, enums, string lists and"
                + " records; not " + t.getName());
    }

    /**
     * A short, stable hash of {@code pairs} (SHA-256 of the sorted {@code key=value} lines, 16 hex
     * digits): equal exactly when every pair is equal, whatever the map's order.
     */
    public static String fingerprint(Map<String, String> pairs) {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(pairs).forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        return Sha256.hex(lines.toString()).substring(0, 16);
    }

    /** learningRate -> learning_rate. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
