// The standard-library modules Mask Lens provides, by import name. Each is
// built fresh per evaluation (random's state, logging's loggers), and each
// registers into the interpreter only through this loader: the interpreter
// itself knows no module.

import { PyModule } from '../../python/values';
import { basicModule } from './basic';
import { abcModule, enumModule, inspectModule } from './classes';
import { contextlibModule } from './contextlib';
import { dataclassesModule } from './dataclasses';
import { functoolsModule } from './functools';
import { jsonModule } from './json';
import { loggingModule } from './logging';
import { packagingModules } from './packaging';
import { distutilsModules } from './distutils';
import { randomModule } from './random';
import { reModule } from './re';
import { systemModule } from './system';
import { collectionsAbcModule, typesModule, typingModule } from './typing';

const BUILDERS: Record<string, () => PyModule> = {
  dataclasses: dataclassesModule,
  functools: functoolsModule,
  typing: typingModule,
  typing_extensions: typingModule,
  'collections.abc': collectionsAbcModule,
  contextlib: contextlibModule,
  json: jsonModule,
  random: randomModule,
  logging: loggingModule,
  enum: enumModule,
  abc: abcModule,
  inspect: inspectModule,
  types: typesModule,
  re: reModule,
};

/** A standard-library module by its dotted import name, or undefined if Mask Lens has none. */
export function stdlibModule(name: string): PyModule | undefined {
  const build = BUILDERS[name];
  if (build) return build();
  if (name === '__future__') return futureModule();
  return systemModule(name) ?? basicModule(name) ?? packagingModules(name) ?? distutilsModules(name);
}

function futureModule(): PyModule {
  const m = new PyModule('__future__');
  for (const n of ['annotations', 'division', 'print_function', 'absolute_import', 'generator_stop']) m.dict.set(n, true);
  return m;
}
