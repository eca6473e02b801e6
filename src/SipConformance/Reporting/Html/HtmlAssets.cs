using SipConformance.Findings;
namespace SipConformance.Reporting.Html;

/// <summary>The report's inline style sheet, script and Content-Security-Policy: the page loads nothing from anywhere.</summary>
internal static class HtmlAssets
{
    /// <summary>Nothing but the page's own inline style and script (and data: images) may load.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    public const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1b1b1b; background: #fff; }
        h1 { font-size: 1.5em; margin: 0 0 .5em; } h2 { font-size: 1.2em; margin: 1.5em 0 .5em; border-bottom: 1px solid #ccc; }
        code, pre { font: 12px/1.35 ui-monospace, monospace; } pre { background: #f6f6f6; padding: .5em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
        table { border-collapse: collapse; } th, td { padding: 2px 6px; text-align: left; vertical-align: top; }
        .runs { display: flex; flex-wrap: wrap; gap: .5em; } .run { flex: 1 1 28em; border: 1px solid #ccc; border-radius: 4px; padding: .5em 1em; }
        .verdict { font-weight: bold; font-size: 1.1em; } .verdict.fail { color: #b00020; } .verdict.pass { color: #1b7f2a; }
        .diagnosis { background: #fff4d6; border-left: 4px solid #e0a800; padding: .4em .8em; margin: .3em 0; list-style: none; }
        .diagnosis .fix { display: block; color: #5a4500; }
        .grid td.cell { text-align: center; min-width: 6em; border: 1px solid #fff; }
        .grid td.cell a { color: inherit; text-decoration: none; display: block; }
        .grid tr.area th { background: #e9e9e9; padding-top: .4em; }
        .o-pass { background: #b9e6b9; } .o-fail { background: #f4a3a3; } .o-non-strict { background: #ffe08a; } .o-skipped { background: #dcdcdc; color: #555; }
        .learned-stored { background: #b9e6b9; } .learned-refused { background: #dcdcdc; } .learned-mangled { background: #f4a3a3; } .learned-other { background: #ffe08a; }
        .legend span { display: inline-block; padding: 1px 8px; margin-right: 4px; }
        details.check { border: 1px solid #ddd; margin: .3em 0; padding: .2em .6em; } details.check > summary { cursor: pointer; }
        details.check[open] { border-color: #888; }
        .failure { border-top: 1px dashed #ccc; margin-top: .5em; padding-top: .3em; }
        .payloads td, .payloads th { border: 1px solid #ddd; } .payloads tr.diff td { background: #ffd7d7; font-weight: bold; }
        .heat td.hc { min-width: 6em; text-align: center; border: 1px solid #fff; } .heat td.none { background: #eee; color: #777; }
        .bar { display: inline-block; height: .8em; background: #5b8def; vertical-align: middle; }
        """;

    /// <summary>A grid cell's link opens (and shows) the details it points at.</summary>
    public const string Script = """
        document.addEventListener('click', function (e) {
          var a = e.target.closest ? e.target.closest('a[data-open]') : null;
          if (!a) return;
          var d = document.getElementById(a.getAttribute('data-open'));
          if (d) { d.open = true; }
        });
        if (location.hash) { var d = document.getElementById(location.hash.slice(1)); if (d && d.tagName === 'DETAILS') d.open = true; }
        """;
}
