/** A seed that cannot run (or must not run twice): its message is shown as is, exit code 1, nothing written. */
export class SeedRefused extends Error {}
