/** The benchmark DAGs. */
import { registryOf } from '../../src/orchestrator';
import wide from './dags/wide';
import { chainDag, linearDags } from './dags/linear';

export function benchRegistry() {
  return registryOf<unknown>([wide, chainDag, ...linearDags]);
}
