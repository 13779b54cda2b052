from django.contrib import admin

admin.site.site_header = "bonemets administration"
admin.site.site_title = "bonemets admin"
admin.site.index_title = "Checklist, reference ranges, sources, test cases and staff"
admin.site.site_url = "/"
