module github.com/clubdesk/clubdesk

go 1.26.8
