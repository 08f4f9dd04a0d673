package tsl.linker.c;

/** Where a node's C code puts its output. */
enum Storage {
    /** a buffer of its own */
    OWN,
    /** a view into its first input's memory */
    VIEW,
    /** a view when the input's layout allows, else a buffer of its own (reshape) */
    OWN_OR_VIEW
}
