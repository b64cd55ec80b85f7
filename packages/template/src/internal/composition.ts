/**
 * How templates compose at compile time, as in Tornado: the `{% extends %}` chain of a template,
 * and the winning definition of every `{% block %}`.
 *
 * Blocks are collected from every file of the chain, root first, and from every file those
 * include, in document order; a later definition replaces an earlier one, so the most derived
 * template wins, and a child can even replace a block that an included file defines.
 */
import type { BaseLoader } from '../base-loader.js';
import { ParseError } from '../errors.js';
import type { Template } from '../template.js';
import type { BlockNode, Body, Node, ParsedFile } from './nodes.js';
import { parsedFileOf } from './parsed-files.js';

/** Loads the templates a template refers to, reporting failures at the directive's line. */
export class Composition {
  readonly #loader: BaseLoader | undefined;

  constructor(loader: BaseLoader | undefined) {
    this.#loader = loader;
  }

  /** Loads the template `{% extends name %}` or `{% include name %}` names in `from`. */
  load(name: string, from: string, line: number, directive: 'extends' | 'include'): ParsedFile {
    if (this.#loader === undefined) {
      throw new ParseError(`{% ${directive} %} block found, but no template loader`, from, line);
    }
    let template: Template;
    try {
      template = this.#loader.load(name, from);
    } catch (error) {
      // Errors that already name a template line pass through; others get this directive's.
      if (error instanceof ParseError && error.filename !== undefined) throw error;
      const detail =
        error instanceof ParseError ? error.detail : String((error as Error)?.message ?? error);
      throw new ParseError(`{% ${directive} "${name}" %} failed: ${detail}`, from, line, {
        cause: error,
      });
    }
    return parsedFileOf(template);
  }

  /** The chain of files from the root ancestor down to `file` (just `[file]` without extends). */
  ancestors(file: ParsedFile): ParsedFile[] {
    const chain = [file];
    let current = file;
    while (current.extends !== undefined) {
      const { name, line } = current.extends;
      current = this.load(name, current.info.name, line, 'extends');
      chain.unshift(current);
    }
    return chain;
  }

  /** The winning definition of each block name across `ancestors` (root first). */
  blocks(ancestors: readonly ParsedFile[]): Map<string, BlockNode> {
    const blocks = new Map<string, BlockNode>();
    const visit = (body: Body): void => {
      for (const node of body) {
        if (node.kind === 'block') {
          blocks.set(node.name, node);
          visit(node.body);
        } else if (node.kind === 'include') {
          visit(this.load(node.name, node.from, node.line, 'include').body);
        } else {
          for (const section of sectionsOf(node)) visit(section);
        }
      }
    };
    for (const file of ancestors) visit(file.body);
    return blocks;
  }
}

/** The bodies nested in a node (none for leaves). */
function sectionsOf(node: Node): Body[] {
  switch (node.kind) {
    case 'if':
      return [...node.branches.map((b) => b.body), ...(node.orelse ? [node.orelse.body] : [])];
    case 'for':
    case 'while':
      return [node.body, ...(node.orelse ? [node.orelse.body] : [])];
    case 'try':
      return [
        node.body,
        ...node.handlers.map((h) => h.body),
        ...(node.orelse ? [node.orelse.body] : []),
        ...(node.finalbody ? [node.finalbody.body] : []),
      ];
    case 'apply':
    case 'block':
      return [node.body];
    default:
      return [];
  }
}
