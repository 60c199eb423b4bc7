/** The subnetworks plugin's id and capabilities. */
export const SUBNETWORKS_PLUGIN_ID = 'subnetworks';
/** Create, configure and archive sub-networks, and see their adoption. */
export const MANAGE = 'subnetworks.manage';
/** The core capability every member of a network holds. */
export const PARTICIPATE = 'core.participate';
