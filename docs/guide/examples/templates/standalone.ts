import { DictLoader, Template } from '@tronada/template';

// One template from a string; {{ }} escapes HTML by default.
export function hello(name: string): string {
  return new Template('<p>Hello {{ name }}!</p>').generate({ name });
}

// Several templates, with inheritance: a child replaces the parent's blocks.
const loader = new DictLoader({
  'base.html':
    '<html><head><title>{% block title %}My site{% end %}</title></head>' +
    '<body>{% block body %}{% end %}</body></html>',
  'list.html':
    '{% extends "base.html" %}' +
    '{% block title %}{{ title }}{% end %}' +
    '{% block body %}<ul>{% for item in items %}<li>{{ item }}</li>{% end %}</ul>{% end %}',
});

export function itemList(title: string, items: readonly string[]): string {
  return loader.load('list.html').generate({ title, items });
}
