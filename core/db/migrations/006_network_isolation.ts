import { addColumns } from '../migration';

/**
 * Isolated sub-networks (a partner company): a member who registers in one joins it only,
 * not the root network. By default (false) they also join the root, as before.
 */
export const networkIsolation = addColumns('006_network_isolation', 'networks', { isolated: (t, c) => t.boolean(c).notNullable().defaultTo(false) });
