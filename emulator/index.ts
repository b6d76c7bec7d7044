/** The local AWS emulator (IAM + STS Query protocol, Organizations JSON 1.1) for tests, benchmarks and the demo. */
export { startEmulator, IAM_OPERATIONS, STS_OPERATIONS, ORGANIZATIONS_OPERATIONS } from './server.js';
export type { EmulatorOptions, EmulatorStats, RunningEmulator } from './server.js';
export type { FaultOptions } from './faults.js';
export { validateFixture, loadFixtureFile, FixtureError } from './fixture.js';
export type * from './fixture-types.js';
export { TRACKED_SERVICES, isTrackedAction } from './tracking.js';
