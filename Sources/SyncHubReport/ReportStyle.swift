/// The page's stylesheet: a light theme, system fonts only, responsive, print-friendly.
enum ReportStyle {
    static let css = """
        :root{--ink:#1d2633;--muted:#5d6776;--line:#e2e7ee;--bg:#f4f6f9;--card:#fff;--accent:#0072B2;\
        --good:#00785a;--warning:#8f5d00;--bad:#b23f00}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",\
        Roboto,"Helvetica Neue",Arial,"Liberation Sans","Noto Sans",sans-serif}
        .wrap{max-width:1140px;margin:0 auto;padding:0 24px}
        .page-header{background:#0b4f84;color:#fff;padding:34px 0 28px}
        .eyebrow{margin:0 0 6px;font-size:12px;font-weight:600;letter-spacing:.09em;text-transform:uppercase;opacity:.8}
        h1{margin:0 0 6px;font-size:30px;line-height:1.2;font-weight:700;letter-spacing:-.01em}
        .subtitle{margin:0;font-size:16px;opacity:.92}
        .meta{margin:10px 0 0;font-size:13px;opacity:.78}
        .toc{position:sticky;top:0;z-index:1;background:rgba(255,255,255,.96);border-bottom:1px solid var(--line)}
        .toc .wrap{display:flex;flex-wrap:wrap;gap:4px 20px;padding-top:10px;padding-bottom:10px}
        .toc a{color:var(--muted);font-size:14px;text-decoration:none}
        .toc a:hover,.toc a:focus{color:var(--accent);text-decoration:underline}
        main{padding-bottom:28px}
        section{margin:30px 0 8px;scroll-margin-top:56px}
        h2{margin:0 0 4px;font-size:21px;letter-spacing:-.01em}
        .note{margin:0 0 14px;max-width:78ch;color:var(--muted)}
        .blocks{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:18px}
        .wide{grid-column:1/-1}
        .card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;\
        box-shadow:0 1px 2px rgba(16,24,40,.05)}
        figure{margin:0}
        .chart h3,.table-card h3{margin:0 0 10px;font-size:15px;font-weight:600}
        figcaption,.caption{margin:8px 0 0;font-size:13px;color:var(--muted)}
        .plot-box{overflow-x:auto}
        svg.plot{display:block;width:100%;height:auto;overflow:visible}
        .plot text{font-family:inherit}
        .plot .tick{font-size:11px;fill:#677181}
        .plot .label{font-size:12px;fill:#344050}
        .plot .value{font-size:11px;font-weight:600;fill:#344050;paint-order:stroke;stroke:#fff;stroke-width:3px;\
        stroke-linejoin:round}
        .plot .value-in{font-size:12px;font-weight:600;fill:#fff}
        .plot .chart-note{font-size:12px;fill:var(--muted)}
        .plot .conversion{font-size:11.5px;font-weight:600;fill:#1d2633;paint-order:stroke;stroke:#fff;stroke-width:3px;\
        stroke-linejoin:round}
        .plot .grid{stroke:#edf0f4;stroke-width:1}
        .plot .axis{stroke:#9aa3af;stroke-width:1}
        .plot .target,.swatch .target{stroke:#1d2633;stroke-width:1.5;stroke-dasharray:5 4}
        .plot .target-label{font-size:11px;font-weight:700;fill:#1d2633;paint-order:stroke;stroke:#fff;stroke-width:3px;\
        stroke-linejoin:round}
        .plot .funnel-band{fill:#dce9f4}
        .plot .line{fill:none;stroke-width:2.5;stroke-linejoin:round;stroke-linecap:round}
        .plot .area{fill-opacity:.1;stroke:none}
        .plot .marker{stroke:#fff;stroke-width:1.5}
        .plot .bar:hover,.plot .point:hover .marker{opacity:.85}
        .legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:0 0 8px;padding:0;list-style:none;font-size:13px;\
        color:var(--muted)}
        .legend li{display:flex;align-items:center;gap:6px}
        .swatch{flex:none}
        .multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:16px 22px}
        .multiples.vertical{grid-template-columns:repeat(auto-fill,minmax(290px,1fr))}
        .panel h4{margin:0 0 4px;font-size:13px;font-weight:600;color:var(--muted)}
        .empty-state{display:flex;align-items:center;gap:14px;padding:24px 6px;color:var(--muted)}
        .empty-state p{margin:0}
        .empty-icon{flex:none;width:48px;height:32px;fill:#e6eaf0;stroke:#c5ccd6}
        .kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:14px}
        .kpi{padding:14px 16px;border-top:4px solid #c9d2de}
        .kpi.good{border-top-color:#009E73}
        .kpi.warning{border-top-color:#E69F00}
        .kpi.bad{border-top-color:#D55E00}
        .kpi-label{margin:0;font-size:13px;color:var(--muted)}
        .kpi-value{margin:2px 0 0;font-size:28px;line-height:1.25;font-weight:700;letter-spacing:-.01em;\
        font-variant-numeric:tabular-nums}
        .kpi-detail{margin:3px 0 0;font-size:13px;color:var(--muted)}
        .kpi-note{display:inline-block}
        .sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        .status{font-weight:600;white-space:nowrap}
        .status.good{color:var(--good)}
        .status.warning{color:var(--warning)}
        .status.bad{color:var(--bad)}
        .status.neutral{color:var(--muted)}
        .table-scroll{overflow-x:auto}
        table{width:100%;border-collapse:collapse;font-size:14px;font-variant-numeric:tabular-nums}
        th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        thead th{border-bottom:2px solid var(--line);font-size:12px;font-weight:600;letter-spacing:.04em;\
        text-transform:uppercase;color:var(--muted)}
        tbody tr:nth-child(even){background:#fafbfd}
        th.num,td.num{text-align:right}
        details.data{margin-top:8px;font-size:13px}
        details.data summary{color:var(--muted);cursor:pointer}
        details.data table{margin-top:6px;font-size:13px}
        .text p{margin:0 0 10px;max-width:80ch}
        footer{padding-top:14px;padding-bottom:36px;border-top:1px solid var(--line);font-size:13px;color:var(--muted)}
        @media (max-width:820px){.blocks{grid-template-columns:minmax(0,1fr)}.wrap{padding:0 14px}h1{font-size:24px}\
        .card{padding:14px}}
        @media print{
        *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        @page{margin:14mm}
        body{background:#fff;font-size:10.5pt}
        .toc,details.data{display:none}
        .wrap{max-width:none;padding:0}
        .page-header{background:none;color:var(--ink);padding:0 0 8pt;border-bottom:2px solid var(--ink)}
        .card{box-shadow:none;break-inside:avoid}
        h2{break-after:avoid}
        svg.plot{min-width:0!important}
        }

        """
}
