'use strict';
/** Ruche's own ESLint plugin: the plugin-boundary rules (tools/eslint/boundaries.cjs). */
const { pluginBoundaries, pendingBoundaries } = require('./boundaries.cjs');

module.exports = {
  meta: { name: 'ruche' },
  rules: {
    'plugin-boundaries': pluginBoundaries,
    'pending-boundaries': pendingBoundaries,
  },
};
