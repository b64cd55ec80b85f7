/**
 * The parsed form of a template file: a tree of nodes that the code generator turns into
 * JavaScript. Whitespace filtering has already been applied to text nodes, and control blocks
 * keep their sections (`elif`, `else`, `except`, `finally`) as separate bodies.
 */

/** A sequence of nodes, in template order. */
export type Body = readonly Node[];

/**
 * What code generation needs to know about the file a node was written in. The parser updates
 * `autoescape` when it meets `{% autoescape %}`, which therefore applies to the whole file.
 */
export interface FileInfo {
  readonly name: string;
  autoescape: string | null;
  /** The line of the `{% autoescape %}` directive that set `autoescape` (0: set by options). */
  autoescapeLine: number;
}

/** One parsed template file. */
export interface ParsedFile {
  readonly info: FileInfo;
  readonly body: Body;
  /** The `{% extends %}` directive, if the file has one. */
  readonly extends: { readonly name: string; readonly line: number } | undefined;
}

/** Literal text. */
export interface TextNode {
  readonly kind: 'text';
  readonly value: string;
}

/** `{{ code }}` (autoescaped), `{% raw code %}` and `{% module code %}` (both unescaped). */
export interface OutputNode {
  readonly kind: 'output';
  readonly code: string;
  readonly line: number;
  readonly mode: 'escaped' | 'raw' | 'module';
}

/** `{% set statement %}`. */
export interface SetNode {
  readonly kind: 'set';
  readonly code: string;
  readonly line: number;
}

/** A section of a control block: its tag's line and its body. */
export interface Section {
  readonly line: number;
  readonly body: Body;
}

/** `{% if %}` with its `{% elif %}` branches and optional `{% else %}`. */
export interface IfNode {
  readonly kind: 'if';
  readonly branches: readonly (Section & { readonly test: string })[];
  readonly orelse: Section | undefined;
}

/** `{% for target in iterable %}`; `orelse` runs when the loop ends without `{% break %}`. */
export interface ForNode {
  readonly kind: 'for';
  readonly line: number;
  readonly target: string;
  readonly iterable: string;
  readonly body: Body;
  readonly orelse: Section | undefined;
}

/** `{% while test %}`; `orelse` runs when the loop ends without `{% break %}`. */
export interface WhileNode {
  readonly kind: 'while';
  readonly line: number;
  readonly test: string;
  readonly body: Body;
  readonly orelse: Section | undefined;
}

/** One `{% except [Types] [as name] %}` clause. `types` is empty for a catch-all. */
export interface ExceptClause extends Section {
  readonly types: readonly string[];
  readonly binding: string | undefined;
}

/** `{% try %}` … `{% except %}` … `{% else %}` … `{% finally %}` … `{% end %}`. */
export interface TryNode {
  readonly kind: 'try';
  readonly line: number;
  readonly body: Body;
  readonly handlers: readonly ExceptClause[];
  readonly orelse: Section | undefined;
  readonly finalbody: Section | undefined;
}

/** `{% break %}` or `{% continue %}`. */
export interface JumpNode {
  readonly kind: 'break' | 'continue';
  readonly line: number;
}

/** `{% apply fn %}` … `{% end %}`: outputs `fn(body output)`. */
export interface ApplyNode {
  readonly kind: 'apply';
  readonly line: number;
  readonly fn: string;
  readonly body: Body;
}

/** `{% block name %}` … `{% end %}`, replaceable by a template that extends this one. */
export interface BlockNode {
  readonly kind: 'block';
  readonly line: number;
  readonly name: string;
  readonly body: Body;
  /** The file the block is written in (its autoescape applies to the body). */
  readonly file: FileInfo;
}

/** `{% include "name" %}`, resolved relative to `from`. */
export interface IncludeNode {
  readonly kind: 'include';
  readonly line: number;
  readonly name: string;
  readonly from: string;
}

/** Any node of a template body. */
export type Node =
  | TextNode
  | OutputNode
  | SetNode
  | IfNode
  | ForNode
  | WhileNode
  | TryNode
  | JumpNode
  | ApplyNode
  | BlockNode
  | IncludeNode;
