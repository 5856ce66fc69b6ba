"""Static pages: the outlet's own editable pages («من نحن», «اتصل بنا», «سياسة الخصوصية»),
linked from the footer."""
