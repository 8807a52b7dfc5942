import { init, use } from 'echarts/core';
import { BarChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * ECharts with only what the dashboard draws: bars with a target line, and the weekday × hour heatmap.
 * Imported dynamically by ChartFigure, so only the dashboard downloads it.
 */
use([BarChart, HeatmapChart, GridComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent, CanvasRenderer]);

export { init };
