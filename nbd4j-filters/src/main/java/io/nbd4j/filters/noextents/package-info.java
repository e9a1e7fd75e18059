/**
 * The noextents filter ({@code --filter=noextents}): hides the plugin's block status, so a client that
 * asks sees one data extent covering the whole disk. Useful over the file plugin on a file system whose
 * {@code lseek(SEEK_DATA)} is slow (tmpfs), or to test how clients cope without sparseness
 * information. No parameters. The plugin is never asked for extents; everything else, multi-conn
 * included, is the layer below's.
 */
package io.nbd4j.filters.noextents;
