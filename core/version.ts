/** The version of the core API that plugins declare compatibility with (`core: '^1.0.0'`). */
export const CORE_API_VERSION = '1.0.0';
