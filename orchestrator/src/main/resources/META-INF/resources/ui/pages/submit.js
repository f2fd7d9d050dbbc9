// Submit a sweep: paste or upload the YAML (or JSON) document; validation errors are shown at their fields.
import { api } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { YamlEditor } from '../components/yamlEditor.js';

const EXAMPLE = `# A sweep document: see docs/sweep-spec.md
name: my-sweep
project: default
image: python:3.12-slim
program: train.py
method: random
max_trials: 20
parallelism: 4
metric:
  name: val_loss
  goal: minimize
parameters:
  learning_rate:
    distribution: log_uniform_values
    min: 0.0001
    max: 0.1
  batch_size:
    values: [32, 64, 128]
`;

export async function render(root) {
  const editor = new YamlEditor({ value: EXAMPLE });
  const result = h('div.submit-result');
  const fieldErrors = h('ul.field-errors');
  const project = h('input', { type: 'text', name: 'project', placeholder: 'from the document',
    'aria-label': 'Project (overrides the document)' });
  const file = h('input', { type: 'file', accept: '.yaml,.yml,.json,application/yaml,application/json',
    name: 'file', onchange: async e => {
      const f = e.target.files[0];
      if (!f) return;
      editor.value = await f.text();
      fill(result, alertBox('ok', `Loaded ${f.name}.`));
      fill(fieldErrors);
    } });
  const submit = h('button.primary', { type: 'submit' }, 'Submit sweep');
  const form = h('form.panel', { onsubmit: e => { e.preventDefault(); send(); } },
    h('div.form-row', h('label', 'Upload ', file), h('span.muted', 'or paste the document below'), h('div.spacer'),
      h('label', 'Project ', project)),
    editor.el,
    fieldErrors,
    result,
    h('div.form-row', submit, h('span.muted.small', 'YAML or JSON; validated on the server, nothing is stored when '
      + 'it is refused.')));
  fill(root, h('div.page-head', h('h1', 'New sweep')), form);

  async function send() {
    submit.disabled = true;
    fill(result);
    fill(fieldErrors);
    const text = editor.value;
    const format = text.trimStart().startsWith('{') ? 'json' : 'yaml';
    try {
      const sweep = await api.submit(text, format, project.value.trim() || null);
      fill(result, alertBox('ok', `Submitted sweep ${sweep.name}: ${sweep.runCounts.total} runs.`));
      location.hash = '#/sweeps/' + sweep.id;
    } catch (e) {
      const problem = e.problem || {};
      const errors = problem.errors || [];
      if (errors.length) {
        const marked = editor.showErrors(errors);
        editor.scrollToLine(Math.min(...marked.map(m => m.line)));
        fill(fieldErrors, marked.map(err => h('li', { dataset: { field: err.field, line: err.line + 1 },
          onclick: () => editor.focusLine(err.line) }, h('code', err.field), ` (line ${err.line + 1}): ${err.message}`)));
      } else {
        const at = /line (\d+)/i.exec(problem.detail || '');
        if (at) {
          editor.showLineError(Number(at[1]) - 1, problem.detail);
          editor.scrollToLine(Number(at[1]) - 1);
        }
      }
      fill(result, alertBox('error', h('strong', problem.title || 'Not submitted'), ': ', problem.detail || e.message));
    } finally {
      submit.disabled = false;
    }
  }
  return null;
}
