/**
 * A sampling heap profile (the inspector's `HeapProfiler.stopSampling`) summed by allocating function:
 * the bytes each function allocated itself, biggest first, frames of `skip` (a test client's
 * own allocations) left out with everything they allocated.
 */
export interface SamplingHeapProfile {
  head: HeapNode;
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

export function allocationsByFunction(profile: SamplingHeapProfile, skip: RegExp): { name: string; bytes: number }[] {
  const sums = new Map<string, number>();
  const walk = (node: HeapNode): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    if (skip.test(url)) return;
    const where = url.replace(/^.*\/(node_modules\/|dist\/)/, '$1');
    const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    if (node.selfSize) sums.set(name, (sums.get(name) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  return [...sums].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}
