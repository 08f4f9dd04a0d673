/**
 * The native linker (Theano's "c" linker). Java forbids a package named {@code native}, so the
 * backend folder is {@code linker/c}: one C translation unit per compiled function, compiled
 * by gcc into a cached shared library and called through the FFM API.
 */
package tsl.linker.c;
