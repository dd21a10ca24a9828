// The worker bundles this module (and only what it imports) into Temporal's deterministic sandbox.
export { orderSaga } from './order-saga';
