// A sweep's usage on its page: GPU-hours against the budget, the preempted and failed parts, CPU-hours and GPU
// energy, why the sweep ended when its budget did, and the objective plotted against cumulative GPU-hours.
import * as echarts from '/_static/echarts/dist/echarts.esm.min.js';
import { api } from '../api.js';
import { h, fill, alertBox } from '../dom.js';
import { fmtNum } from '../format.js';
import { PALETTE, BEST_COLOR } from '../charts.js';

export function hours(seconds) {
  return fmtNum(seconds / 3600, 3);
}

export function usagePanel(sweepId) {
  const stats = h('div.stat-row.usage-stats');
  const reason = h('div.usage-reason');
  const chartEl = h('div.chart.usage-chart');
  const note = h('div.small.muted');
  const el = h('div.panel.usage-panel', h('div.panel-head', h('h2', 'Usage'), h('div.spacer'),
    h('a.small', { href: '#/usage' }, 'all usage →')), reason, stats, chartEl, note);
  let chart = null;

  function stat(label, value, title) {
    return h('div.stat', { title: title || '' }, h('div.label', label), h('div.value', value));
  }

  async function refresh(sweep) {
    let u;
    try {
      u = await api.sweepUsage(sweepId);
    } catch (e) {
      fill(stats, alertBox('error', 'Could not load the usage: ', e.message));
      return;
    }
    const used = u.total.gpuSeconds;
    el.dataset.gpuSeconds = String(used);
    fill(reason, sweep && sweep.endReason ? alertBox('info', sweep.endReason) : null);
    fill(stats,
      stat('GPU-hours', u.budgetGpuHours
        ? h('span.usage-budget', `${hours(used)} of ${fmtNum(u.budgetGpuHours)}`,
          h('progress', { max: String(u.budgetGpuHours * 3600), value: String(Math.min(used, u.budgetGpuHours * 3600)) }))
        : h('span.usage-gpu-hours', hours(used)), 'nodes × GPUs × the wall time the executor observed'),
      stat('Preempted', hours(u.preempted.gpuSeconds) + ` (${u.preempted.attempts})`,
        'GPU-hours of preempted attempts (attempts in brackets)'),
      stat('Failed', hours(u.failed.gpuSeconds) + ` (${u.failed.attempts})`,
        'GPU-hours of failed or lost attempts (attempts in brackets)'),
      stat('CPU-hours', hours(u.total.cpuSeconds), 'CPU requested × wall time'),
      stat('GPU energy', fmtNum(u.total.energyWh / 1000, 3) + ' kWh', 'GPU power samples of the agent, integrated'));
    draw(u.objectiveByGpuHours || []);
  }

  function draw(points) {
    const withValue = points.filter(p => p.objective !== undefined && p.objective !== null);
    chartEl.dataset.points = String(withValue.length);
    if (!withValue.length) {
      chartEl.hidden = true;
      fill(note, points.length ? 'No ended run reported the objective.' : 'No run has ended yet.');
      return;
    }
    chartEl.hidden = false;
    fill(note, 'Each ended run: its objective at the GPU-hours the sweep had used when it ended; the line is the '
      + 'best so far.');
    if (!chart) chart = echarts.init(chartEl, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      grid: { left: 58, right: 18, top: 24, bottom: 40 },
      tooltip: { trigger: 'item', confine: true,
        formatter: p => `run #${p.data[2]}<br>${fmtNum(p.data[0], 4)} GPU-h: ${fmtNum(p.data[1])}` },
      xAxis: { type: 'value', name: 'cumulative GPU-hours', nameLocation: 'middle', nameGap: 26, scale: true,
        axisLabel: { fontSize: 11, formatter: v => fmtNum(v, 3) } },
      yAxis: { type: 'value', scale: true, axisLabel: { fontSize: 11, formatter: v => fmtNum(v, 3) } },
      series: [
        { type: 'scatter', name: 'runs', color: PALETTE[0], symbolSize: 7,
          data: withValue.map(p => [p.cumulativeGpuHours, p.objective, p.index]) },
        { type: 'line', name: 'best so far', color: BEST_COLOR, step: 'end', showSymbol: false,
          data: withValue.map(p => [p.cumulativeGpuHours, p.bestSoFar, p.index]) },
      ],
    }, { notMerge: true });
  }

  return {
    el,
    refresh,
    dispose() {
      if (chart) chart.dispose();
    },
  };
}
