/**
 * What every layer shares about files and depends on nothing else of gba4j: the error for a bad
 * model or data file ({@link org.gba4j.files.ModelFileException}) and SHA-256 digests. Kept apart
 * so that the readers ({@code io}, {@code text}, {@code data}) and the model do not depend on each other
 * through it.
 */
package org.gba4j.files;
