/** The subnetworks plugin's hooks, added to the core's typed hook map. */
declare module '../../core/hooks/map' {
  interface HookEvents {
    /** A member joined a sub-network by themselves (open or email-domain policy). */
    'subnetworks:joined': { userId: number; networkId: number };
  }
}
export {};
