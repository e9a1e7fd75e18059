/**
 * The nofilter filter ({@code --filter=nofilter}): a layer that changes nothing, to test that the
 * server stacks filters right and to measure what a layer costs. No parameters; every request and
 * answer passes through, reads may still be sent straight from the plugin's memory, and multi-conn is
 * the layer below's.
 */
package io.nbd4j.filters.nofilter;
