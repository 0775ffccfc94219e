"""Reports and charts: the portfolio as of any date, and the figures behind them."""
