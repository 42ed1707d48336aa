// tensorflow / keras: filled in by the Keras layer work (issue #5).
import type { PyModule } from '../../python/values';

export function makeTensorflowModules(_load: (name: string) => PyModule | undefined): Map<string, PyModule> {
  return new Map();
}
