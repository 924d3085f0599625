package org.gba4j;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The slow tier: tests that train or load a real model for more than a few seconds. {@code mvn -B test}
 * runs the fast tier only (surefire excludes this tag); {@code mvn -B verify} adds this tier (failsafe
 * runs only this tag), so the full suite is {@code mvn -B verify}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {
}
