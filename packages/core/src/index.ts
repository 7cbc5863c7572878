export { InvalidLocationError, SentinelKitError } from './errors.js';
