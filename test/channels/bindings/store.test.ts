import { describe } from 'vitest';
import { createMemoryBindingStore } from '../../../src/channels/bindings/types.js';
import { bindingStoreContract } from './contract.js';

describe('memory binding store', () => {
  bindingStoreContract(() => createMemoryBindingStore());
});
