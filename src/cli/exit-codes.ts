/** The exit codes of every wisynth command (README, "Exit codes"). */
export const EXIT_OK = 0;
/** The input or the artifacts are wrong, or the files could not be read or written. */
export const EXIT_INVALID = 1;
/** The command line is wrong. */
export const EXIT_USAGE = 2;
